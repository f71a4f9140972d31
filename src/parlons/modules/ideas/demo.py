"""The idea box of the demo city."""


def load_demo(*, organisation, people) -> None:
    return None
