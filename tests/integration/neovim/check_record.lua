-- Neovim's own LSP client on one record: start `communique server`, wait for a finding,
-- ask for the code actions at it, apply the quick fix as the editor would, wait for the
-- finding that then shows, format, and write what happened as JSON. Paths come from the environment (see test_neovim.py).
local env = vim.env
local results = {}

vim.cmd("edit " .. vim.fn.fnameescape(env.RECORD))
local client_id = vim.lsp.start_client({
  name = "communique",
  cmd = { env.COMMUNIQUE, "server" },
  root_dir = env.REPO,
})
vim.lsp.buf_attach_client(0, client_id)

local function codes()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(found, { code = code, lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message })
  end
  return found
end

local function has(code)
  for _, d in ipairs(codes()) do
    if d.code == code then return d end
  end
end

results.waited = vim.wait(60000, function() return has(env.FIX) ~= nil end, 50)
results.before = codes()

local target = has(env.FIX)
if target then
  local params = vim.lsp.util.make_range_params()
  params.range = { start = { line = target.lnum, character = target.col },
                   ["end"] = { line = target.lnum, character = target.end_col } }
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0, target.lnum) }
  local answers = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 10000) or {}
  results.actions = {}
  for _, answer in pairs(answers) do
    for _, action in ipairs(answer.result or {}) do
      table.insert(results.actions, action.title)
      if action.isPreferred and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
      end
    end
  end
  -- once the record matches the schema, the lint and cross-record rules run on it
  results.fixed = vim.wait(60000, function() return has(env.FIX) == nil and has(env.EXPECT) ~= nil end, 50)
end
results.fixed_codes = codes()

vim.lsp.buf.formatting_sync(nil, 10000)
results.after = codes()
results.text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n") .. "\n"
vim.fn.writefile({ vim.fn.json_encode(results) }, env.RESULTS)
vim.cmd("qa!")
