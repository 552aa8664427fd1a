"""``python -m ringscope`` is the ``ringscope`` command."""

from ringscope.cli import main

main()
