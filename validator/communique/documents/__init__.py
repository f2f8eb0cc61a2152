"""Record files as documents: finding them (`files`, `repository`), reading them with the
line and column of every value (`loading`, `readers`), pointing into them (`pointer`), and
writing them back atomically (`writing`). Nothing here knows the schema or the rules."""
