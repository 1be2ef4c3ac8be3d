"""Adds a competency self-rating to TOP, for our career-framework levels."""

from topcli import hookimpl

LEVELS = ["Learning", "Practising", "Leading", "Teaching others"]


@hookimpl
def register_questions(register, framework, stage):
    if framework.id != "top":
        return
    if stage.id == "opportunities":
        register(
            {
                "id": "comp_level",
                "prompt": "Where are you today on our engineering competency framework?",
                "type": "select",
                "choices": LEVELS,
                "help": "The level descriptions are on the intranet: /careers/levels",
            }
        )
    if stage.id == "plan":
        scale = {"type": "number", "min": 1, "max": 10}
        register(
            {"id": "comp_confidence", "prompt": "How confident are you (1-10)?", **scale},
            after="first_step",
        )
