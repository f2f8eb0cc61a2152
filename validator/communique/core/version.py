"""The release this package is: the one place the version is written (hatch reads it from
here when building; `communique.__version__`, SARIF, the templates and `-V` import it)."""

__version__ = "0.6.0"
