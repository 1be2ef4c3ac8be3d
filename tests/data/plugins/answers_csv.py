"""Exports a conversation's answers as CSV: topcli plan export ID --csv -o answers.csv"""

import csv
import io
import json

from topcli import hookimpl
from topcli.exporters import Exporter


def answers_csv(session):
    data = session.to_dict()
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["stage", "question", "answer"])
    for stage in data["framework"]["stages"]:
        for question in stage["questions"]:
            if question["id"] in data["answers"]:
                answer = data["answers"][question["id"]]
                text = answer if isinstance(answer, str) else json.dumps(answer)
                rows.writerow([stage["title"], question["prompt"], text])
    return out.getvalue()


@hookimpl
def register_exporters(register):
    register(Exporter(name="csv", suffix=".csv", description="Answers as CSV", export=answers_csv))
