// Bounds how long the command line takes to end once its answer is out. Leaving main() runs the destructors of
// Qt's network and D-Bus threads and of libsecret's, which wait for those threads; one stuck on a peer that went
// away would hold a script or a monitoring check for tens of seconds after the result was printed.
#pragma once

#include <chrono>

namespace gk::cli {

class ExitWatchdog
{
public:
    // From now on, the process ends with exitCode after grace at the latest, whatever is still running: output is
    // flushed first, nothing else runs (the answer and every save are complete by the time this is armed).
    static void arm(int exitCode, std::chrono::seconds grace);
};

} // namespace gk::cli
