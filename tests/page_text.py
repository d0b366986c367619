"""Reading what an AppTest page shows, as text: for tests that check which words appear where."""

from streamlit.testing.v1.element_tree import Block, Dataframe, Expander, Metric, Table


def texts(node: object, *, skip: str | None = None) -> list[str]:
    """Text of every element under ``node`` (metric help and table cells included), leaving out the expander
    labelled ``skip``."""
    if isinstance(node, Expander) and node.label == skip:
        return []
    if isinstance(node, Block):
        return [text for child in node.children.values() for text in texts(child, skip=skip)]
    if isinstance(node, Metric):
        return [node.label, node.value, node.proto.help]
    if isinstance(node, Dataframe | Table):
        return [node.value.to_csv()]
    value = getattr(node, "value", None)
    return [value] if isinstance(value, str) else []
