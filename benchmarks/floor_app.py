"""The floor for benchmarks/startup.py: the smallest Typer app with two commands and a parameter.

Whatever this costs to start is what any Typer CLI pays; topcli's light commands are measured as
a ratio to it.
"""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = typer.Option("x", "--name")) -> None:
    typer.echo(name)


@app.command()
def bye(name: str) -> None:
    typer.echo(name)


if __name__ == "__main__":
    app()
