"""The volunteer gRPC api: VolunteerService, ActivityService, HoursService (python -m services.volunteer.api)."""
