"""Message templates compiled to tolerant patterns."""

from azext_sig_doctor import signatures

TEMPLATE = {"template": "Source virtual machine {resource_id} cannot contain an ephemeral OS disk."}


def test_template_tolerates_quotes_case_period_and_wrapped_lines():
    for message in ("Source virtual machine '/subscriptions/s/vm1' cannot contain an ephemeral OS disk.",
                    "source virtual machine \u2018/subscriptions/s/vm1\u2019 cannot contain an\n  ephemeral os disk",
                    "Source virtual machine /subscriptions/s/vm1 cannot contain an ephemeral OS disk"):
        assert signatures.search(TEMPLATE, message) == {"resource_id": "/subscriptions/s/vm1"}


def test_token_placeholder_leaves_the_closing_period_out_and_word_keeps_it():
    token = {"template": "The OS state is {os_state}."}
    word = {"template": "The name can not end with characters: {char:word}"}
    assert signatures.search(token, "The OS state is Specialized.") == {"os_state": "Specialized"}
    assert signatures.search(word, "The name can not end with characters: images.") == {"char": "images."}


def test_anchor_is_the_longest_required_word():
    assert signatures.template_anchor(TEMPLATE["template"]) == "ephemeral"
    assert signatures.template_anchor("{a} {b}") is None


def test_a_message_without_the_anchor_is_not_searched():
    assert signatures.search(TEMPLATE, "Source virtual machine vm1 cannot contain an OS disk.") is None
    assert signatures.search(TEMPLATE, "x", lowered="ephemeral") is None  # the pattern itself still decides


def test_literal_weight_counts_fixed_text_only():
    assert signatures.literal_weight({"template": "ab {x} cd"}) == len("ab cd")
