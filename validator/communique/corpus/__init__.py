"""The corpus as data: records turned into tidy tables, and what is built from the tables.

One declaration of the tables (`tables`) feeds every output: the Frictionless Data Package
(`datapackage`), the SQLite database and its Datasette metadata (`database`), the summary
(`stats`) and the static site (`site`). Records come in through `collect`, which leaves out,
with a finding, every record that could not become rows with sound keys.
"""
