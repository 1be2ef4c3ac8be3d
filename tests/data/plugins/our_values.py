"""Adds two questions about our company values to the Think stage of TOP."""

from topcli import hookimpl

VALUES = ["Curiosity", "Care", "Courage"]


@hookimpl
def register_questions(register, framework, stage):
    if framework.id != "top" or stage.id != "think":
        return
    register(
        {
            "id": "ourco_value",
            "prompt": "Which of our values shows most in the work you enjoy?",
            "type": "select",
            "choices": VALUES,
        },
        after="core_values",
    )
    register(
        {
            "id": "ourco_value_story",
            "prompt": "Tell me about a moment when you lived that value.",
            "type": "long_text",
            "required": False,
        },
        after="ourco_value",
    )
