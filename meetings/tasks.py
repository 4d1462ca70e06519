from pompidou.jobs import compile_task

from .jobs import DECISION_LIST

# Build the list of decisions' PDF and DOCX (the one compile task of pompidou.jobs).
compile_decision_list = compile_task(DECISION_LIST, name="meetings.tasks.compile_decision_list")
