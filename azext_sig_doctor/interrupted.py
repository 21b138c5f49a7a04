"""Ctrl-C ends a command with exit code 130 (128 + SIGINT), as shells and CI runners expect of
an interrupted program, after saying what was and was not done.

The CLI turns every error into exit code 1, so the error is printed here the way the CLI prints
errors (message, then recommendations) and the command exits with 130 itself.
"""

EXIT_CODE = 130


def exit(error):  # pylint: disable=redefined-builtin
    """Print ``error`` (an ``azclierror`` saying what Ctrl-C left behind) and exit with 130."""
    error.print_error()
    error.send_telemetry()
    raise SystemExit(EXIT_CODE)
