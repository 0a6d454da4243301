# Shortcuts for the README's commands.
.PHONY: serve test openapi migration

serve:
	./scripts/serve

test:
	./scripts/test

openapi:
	.venv/bin/samverkan openapi

migration:
	.venv/bin/alembic revision --autogenerate -m "$(m)"
