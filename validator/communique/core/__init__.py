"""The vocabulary every layer shares, importing nothing of the others: findings and their
codes and exit codes (`findings`), usage errors (`errors`), did-you-mean hints (`hints`)
and the release (`version`)."""
