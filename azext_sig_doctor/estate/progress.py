"""Progress of a long scan on stderr: the CLI's determinate bar, silent when output is quiet."""

_MESSAGE_WIDTH = 40


class Silent:
    """For ``--only-show-errors``, ``-o none`` and ``core.disable_progress_bar``."""

    def update(self, message, value, total):
        pass

    def end(self, message):
        pass


class Bar:
    def __init__(self, controller):
        self._controller = controller
        self._started = False

    def update(self, message, value, total):
        self._started = True
        total = max(int(total or 0), 1)
        # The CLI's bar draws nothing at 0 %; one unit keeps it visible from the start.
        self._controller.add(message="{} {}/{}".format(message, value, total)[:_MESSAGE_WIDTH],
                             value=max(min(value, total), 1), total_val=total)

    def end(self, message):
        if self._started:
            self._controller.end(message=message[:_MESSAGE_WIDTH])


def make(cli_ctx):
    invocation = getattr(cli_ctx, "invocation", None)
    output = (getattr(invocation, "data", None) or {}).get("output")
    disabled = cli_ctx.config.getboolean("core", "disable_progress_bar", False)
    if getattr(cli_ctx, "only_show_errors", False) or output == "none" or disabled:
        return Silent()
    return Bar(cli_ctx.get_progress_controller(det=True))
