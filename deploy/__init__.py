"""The deployment: nginx in front of gunicorn instances, and the check that they scale out."""
