"""Knowledge-base data: one YAML file per section of the troubleshooting article."""
