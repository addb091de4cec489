"""Renderers: functions from results to text or rich renderables. They return; the CLI prints."""
