# fish completion for grantkeeper. Grant names come from `grantkeeper list --names` (the keychain is not read).

set -l commands list add test token expiring rotate remove doctor check metrics calendar
complete -c grantkeeper -f
complete -c grantkeeper -l verbose -d 'Log what happens to standard error'
complete -c grantkeeper -s h -l help -d 'Show the help'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -l version -d 'Show the version'

complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a list -d 'List the grants with their expiry and last test'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a add -d 'Add a grant (Client ID and Secret on standard input)'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a test -d 'Fetch a token for each grant and compare the scopes'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a token -d 'Print a fresh access token'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a expiring -d 'List grants that have expired or expire soon'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a rotate -d "Replace a grant's secret after a live test"
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a remove -d 'Remove a grant and its keychain entry'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a doctor -d 'Check that the grants and the keychain agree'

complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a check -d 'A monitoring check (OK, WARNING, CRITICAL, UNKNOWN)'

complete -c grantkeeper -n "__fish_seen_subcommand_from test token rotate remove check" -a "(grantkeeper list --names 2>/dev/null)"

complete -c grantkeeper -n "__fish_seen_subcommand_from list" -l json -d 'Print JSON'
complete -c grantkeeper -n "__fish_seen_subcommand_from list" -l names -d 'Print only the names'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l name -r -d 'A unique name for the grant'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l user -r -d 'The integration user'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l region -r -a 'us eu apac' -d 'The Workiva region'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l token-url -r -d 'A custom token endpoint'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l api-version -r -a '2026-01-01 2022-01-01' -d 'The API version'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l scope -r -d 'The requested scopes'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l expires -r -d 'The expiration date (YYYY-MM-DD)'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l auth -r -a 'body basic' -d 'How the client authenticates'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l ca-file -r -F -d 'Also trust these CA certificates'
complete -c grantkeeper -n "__fish_seen_subcommand_from add" -l notes -r -d 'Free text kept with the grant'
complete -c grantkeeper -n "__fish_seen_subcommand_from test" -l all -d 'Test every grant'
complete -c grantkeeper -n "__fish_seen_subcommand_from test" -l json -d 'Print JSON'
complete -c grantkeeper -n "__fish_seen_subcommand_from test" -l jobs -r -d 'Test up to N grants at once'
complete -c grantkeeper -n "__fish_seen_subcommand_from test token rotate" -l timeout -r -d 'Give up on a server after SECONDS'
complete -c grantkeeper -n "__fish_seen_subcommand_from expiring" -l within -r -d 'The warning window in days'
complete -c grantkeeper -n "__fish_seen_subcommand_from expiring" -l json -d 'Print JSON'
complete -c grantkeeper -n "__fish_seen_subcommand_from doctor" -l fix -d 'Remove keychain entries no grant uses'
complete -c grantkeeper -n "__fish_seen_subcommand_from check" -l all -d 'Check every grant'
complete -c grantkeeper -n "__fish_seen_subcommand_from check" -l warning -r -d 'WARNING within DAYS'
complete -c grantkeeper -n "__fish_seen_subcommand_from check" -l critical -r -d 'CRITICAL within DAYS'
complete -c grantkeeper -n "__fish_seen_subcommand_from check" -l test -d 'Also fetch a token for each grant'
complete -c grantkeeper -n "__fish_seen_subcommand_from check" -l unreachable -r -a 'unknown critical' -d 'How an unreachable server counts'
complete -c grantkeeper -n "__fish_seen_subcommand_from check" -l timeout -r -d 'End within SECONDS'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a metrics -d 'Print Prometheus metrics'
complete -c grantkeeper -n "__fish_seen_subcommand_from metrics" -l output -r -F -d 'Write to FILE atomically'
complete -c grantkeeper -n "not __fish_seen_subcommand_from $commands" -a calendar -d 'Write the expiration dates as an iCalendar file'
complete -c grantkeeper -n "__fish_seen_subcommand_from calendar" -l alarm-days -r -d 'Remind N days before'
complete -c grantkeeper -n "__fish_seen_subcommand_from calendar" -l output -r -F -d 'Write to FILE'
