"""Templates compiled once per process: every app built in it (the tests build one per test)
loads Jinja's compiled code instead of compiling each template again.

Jinja checks the code against the template's source on every load, so an edited template is
compiled again. All apps share one cache because create_app gives them the same Jinja options."""
from jinja2 import BytecodeCache


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache, in memory."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


compiled_templates = CompiledTemplates()
