"""The triage forms: modal, keyboard-driven, validated as typed; Esc writes nothing."""
