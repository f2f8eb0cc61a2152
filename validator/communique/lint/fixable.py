"""Which codes `check --fix` can fix, and what each fix does, in one sentence.

Declared here, with the codes, so that listing and explaining a code (`communique rule`, the
editor's hover, docs/rules.md) says whether it has a safe fix without loading the fixer
(communique.rewrite.fixing), which implements one fix for each code named here.
"""

# What each fixable code's fix does (shown by `communique rule CODE` and in docs/rules.md).
COUNTRY_CASE = "upper-cases a country code written in lower case, when that is an ISO 3166-1 code"
COUNTRY_CODES = ("S106", "S109", "I001")  # how each version's schema, and the check, report one
FIXES = {
    "S003": "quotes a schema_version written as a number (1.1 -> \"1.1\") when it names a known version",
    "S103": "writes a whole number given as a float (1.0) as an integer (1) where the schema wants an integer",
    "S104": "replaces a value the schema does not allow by the one allowed value it is close to (another case, "
            "or a single close match)",
    **{code: COUNTRY_CASE for code in COUNTRY_CODES},
    "R001": "replaces a reference to an undefined id by the one defined id it is close to",
}
