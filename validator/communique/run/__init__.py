"""A run of `validate`, `lint` or `check`: the configuration (`config`) and the keeper's
project (`project`), the pipeline from files to findings (`checking`), the cache of
per-file results (`cache`), parallel workers (`parallel`), progress (`progress`), and the
reporters that turn findings into text, JSON, SARIF and GitHub output (`reporting`)."""
