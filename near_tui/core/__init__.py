"""The rules and the record: the agenda's model, the Charter's rules, the event chain and
the state folded from it. Nothing here touches a disk, a terminal, YAML or a database."""
