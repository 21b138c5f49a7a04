"""The command function behind `az sig doctor check-build`: read the template, run, write, exit."""

from knack.log import get_logger

logger = get_logger(__name__)

UNRESOLVED_FIX = ("Give the value so that it is known before the build: for Packer with --var NAME=VALUE or "
                  "--var-file (as packer build takes them), for an ARM template with a default value, for a "
                  "Terraform plan by planning with it known. A rule that cannot see its value is never passed.")


def _error(error_class, message, recommendation):
    return error_class(message, recommendation)


def read_template(packer=None, image_template=None, terraform_plan=None, variables=None, var_files=None):
    """The Template of the one input given; bad input raises an azclierror naming the file and line."""
    from azure.cli.core import azclierror
    from azext_sig_doctor.build import imagebuilder, packer as packer_reader, terraform
    from azext_sig_doctor.build.packer import TemplateError
    given = [name for name, value in (("--packer", packer), ("--image-template", image_template),
                                      ("--terraform-plan", terraform_plan)) if value]
    if len(given) != 1:
        raise _error(azclierror.MutuallyExclusiveArgumentError if given else azclierror.RequiredArgumentMissingError,
                     "give exactly one of --packer, --image-template, --terraform-plan{}".format(
                         " (got {})".format(", ".join(given)) if given else ""),
                     "Check one template per run, e.g. az sig doctor check-build --packer ./image.pkr.hcl")
    if (variables or var_files) and not packer:
        raise _error(azclierror.ArgumentUsageError, "--var and --var-file go with --packer",
                     "Image Builder templates take their values from ARM parameters' defaults; a Terraform plan "
                     "has them already.")
    try:
        if packer:
            for path in var_files or ():
                packer_reader.read_text(path)
            return packer_reader.extract(packer, var_files or (), variables or ())
        if image_template:
            return imagebuilder.extract(image_template)
        return terraform.extract(terraform_plan)
    except TemplateError as ex:
        raise _error(azclierror.InvalidArgumentValueError, str(ex), _recommendation(ex)) from None
    except RecursionError:
        raise _error(azclierror.InvalidArgumentValueError, "{}: nested too deeply to read".format(
            packer or image_template or terraform_plan), "Check that the file is the template itself.") from None


def _recommendation(error):
    if error.line is not None:
        return "Fix the file at line {}{} (`packer validate`, `terraform show -json` or a JSON linter show the same " \
               "place), then run the check again.".format(error.line, ", column {}".format(error.column)
                                                          if error.column else "")
    return "Point the option at the template file (or, for --packer, a directory of *.pkr.hcl files)."


def check_build(cmd, packer=None, image_template=None, terraform_plan=None, variables=None, var_files=None,
                fail_on=None, offline=False, report_format=None, report_file=None):
    from azext_sig_doctor.checks.cli import exit_after_output, subscription_of
    from azext_sig_doctor.checks.report import DEFAULT_FAIL_ON
    fail_on = fail_on or DEFAULT_FAIL_ON
    template = read_template(packer, image_template, terraform_plan, variables, var_files)
    subscription = subscription_of(cmd, offline) if template.builds else None
    reader = None
    if not offline and template.builds:
        from azext_sig_doctor.checks.readers import SdkReader
        reader = SdkReader(cmd.cli_ctx)
    result = run_checks([template], subscription, offline, reader)
    for note in template.notes:
        logger.warning("%s: %s", template.path, note)
    if not template.builds:
        logger.warning("%s: no gallery destination, so there is nothing to check.", template.path)
    if report_format:
        _write(result, report_format, report_file, fail_on)
    _warn_unverified(result, fail_on)
    code = result.exit_code(fail_on)
    if code:
        exit_after_output(cmd.cli_ctx, code)
    return result.to_list()


def run_checks(templates, subscription, offline=False, reader=None):
    """A BuildRun of ``templates`` (model.Template): every build checked, findings located."""
    from azext_sig_doctor.build import check, edits
    from azext_sig_doctor.build.report import BuildReport, BuildRun
    from azext_sig_doctor.checks import registry
    from azext_sig_doctor.checks.fixing import CheckLookup
    from azext_sig_doctor.checks.report import make_finding
    results, requests = check.run(templates, subscription, offline, reader)
    reports, used_rules = [], {}
    for item, outcomes, tool_outcomes, ctx in results:
        findings = []
        lookup = CheckLookup(ctx) if not ctx.offline else None
        for rule, outcome in list(outcomes) + list(tool_outcomes):
            used_rules[rule.id] = rule
            finding = make_finding(item.request, rule, outcome)
            if finding["status"] != "pass":
                file_name, line, setting = edits.locate(item.build, finding)
                finding["location"] = {"file": file_name, "line": line, "setting": setting}
            else:
                finding["location"] = None
            if finding["status"] == "unverified" and finding.get("reason") == "unresolved":
                finding["fix"] = UNRESOLVED_FIX
            if finding["status"] == "fail":
                finding["edit"] = edits.template_edit(item.build, item.request, finding, lookup)
            findings.append(finding)
        reports.append(BuildReport(item.request, findings, item.build, offline=offline or ctx.offline))
    rules = [rule for rule in registry.all_rules() if rule.id in used_rules]
    return BuildRun(reports, rules, [note for template in templates for note in template.notes],
                    [template.path for template in templates], requests)


def _write(result, report_format, path, fail_on):
    from azure.cli.core.azclierror import FileOperationError
    from azext_sig_doctor.build.report import write
    try:
        write(result, report_format, path, fail_on)
    except OSError as ex:
        raise _error(FileOperationError, "cannot write the {} report to '{}': {}".format(
            report_format, path, ex.strerror), "Check that the folder exists and is writable.") from None


def _warn_unverified(result, fail_on):
    from azext_sig_doctor.checks.report import FAIL_ON
    unverified = result.unverified()
    if not unverified:
        return
    unresolved = sum(1 for finding in unverified if finding.get("reason") == "unresolved")
    consequence = ("so the check fails (exit code 1); to accept that, lower the level with --fail-on error"
                   if "unverified" in FAIL_ON[fail_on] else
                   "and --fail-on {} lets the check pass without them".format(fail_on))
    logger.warning("%d rule(s) could not run (%d because the template leaves a value unresolved offline), %s.",
                   len(unverified), unresolved, consequence)
