// Entry point of the `openspec-loop` command.
process.stdout.write('openspec-loop: no command yet\n');
