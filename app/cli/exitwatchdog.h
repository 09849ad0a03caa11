// Bounds how long the command line runs, whatever a thread is stuck on. Two limits, one watching thread:
// - while a command runs, its time limit (its own deadlines plus a grace): past it, one line says the command gave
//   up, and the process ends with exit code 4 (a timeout);
// - once the answer is out, ending: leaving main() runs the destructors of Qt's network and D-Bus threads and of
//   libsecret's, which wait for those threads; one stuck on a peer that went away would hold a script or a monitoring
//   check for tens of seconds after the result was printed.
#pragma once

#include <chrono>

namespace gk::cli {

class ExitWatchdog
{
public:
    // The grace added to a command's own time limit before it is given up.
    static constexpr std::chrono::seconds Grace{5};

    // From now on, the process ends with exitCode after grace at the latest, whatever is still running: output is
    // flushed first, nothing else runs (the answer and every save are complete by the time this is armed). Replaces
    // a command's limit; a second call changes nothing.
    static void arm(int exitCode, std::chrono::seconds grace);
    // The command's own deadlines add up to limit from now: if it has not finished by limit + Grace, the process
    // prints "grantkeeper: gave up after N s …" and ends with exit code 4. A later call replaces the limit.
    static void limitCommand(std::chrono::seconds limit);
    // No limit while the command waits for a person (a prompt); arm() still applies.
    static void unlimitCommand();
};

} // namespace gk::cli
