"""What the schema cannot say: the rules (`rules/`, one module per family, each rule
declared with its code and docs), which codes run (`selection`), inline suppressions
(`suppression`) and which codes have a safe fix (`fixable`)."""
