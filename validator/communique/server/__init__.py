"""`communique server`: the checks of `communique check`, as a language server for any
editor. The workspace (workspace.py) owns what is known of the records; the index (index.py)
keeps the corpus in memory; protocol.py speaks LSP through pygls."""
