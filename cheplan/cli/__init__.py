"""The command line: Typer signatures (`app`) over commands that each return an exit code."""
