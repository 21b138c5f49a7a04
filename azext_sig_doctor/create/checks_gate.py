"""The pre-checks in front of a create: run them, stop before any write when they fail."""


def _checks_api():
    try:
        from azext_sig_doctor import checks
        return checks.run, checks
    except (ImportError, AttributeError):
        from azure.cli.core.azclierror import CLIInternalError
        error = CLIInternalError("The pre-checks are not available in this build of sig-doctor.")
        error.set_recommendation("Run the create with --skip-checks, or install a build that has them.")
        raise error from None


def run_checks(cmd, kind, arguments, fail_on):
    """Run the checks of ``kind``; raise (nothing written yet) when they fail at ``fail_on``."""
    run, _ = _checks_api()
    raise NotImplementedError(run)


def summary(report):
    if report is None:
        return None
    return report
