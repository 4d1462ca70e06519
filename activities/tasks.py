from pompidou.jobs import compile_task

from .jobs import ANNUAL_PROGRAMME

# Build the annual programme's PDF and DOCX (the one compile task of pompidou.jobs).
compile_annual_programme = compile_task(
    ANNUAL_PROGRAMME, name="activities.tasks.compile_annual_programme"
)
