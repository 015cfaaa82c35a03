from cockpit.cli import app

app(prog_name="cockpit")
