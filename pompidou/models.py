from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DocumentSequence(models.Model):
    """The last number of the Council of Europe style references P-PG (YEAR) N."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"P-PG ({self.year}) {self.last_number}"


class ReportJob(TimeStampedModel):
    """A document compiled by a Celery worker: status, progress, the files, who asked."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    reference = models.CharField(max_length=30, unique=True)
    document_date = models.DateField()
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to="documents/%Y/", blank=True)
    docx = models.FileField(upload_to="documents/%Y/", blank=True)

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def file_stem(self) -> str:
        return self.reference.replace(" ", "").replace("(", "-").replace(")", "-")
