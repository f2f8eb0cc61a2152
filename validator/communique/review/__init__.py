"""Review of a change to the records: what it says about the world, fact by fact
(`facts`), between two sets of records read from disk or from git revisions (`revisions`),
shown for a terminal, a pull request or a script (`render`)."""
