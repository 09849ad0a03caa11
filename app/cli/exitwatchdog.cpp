#include "cli/exitwatchdog.h"

#include <cstdio>
#include <cstdlib>
#include <thread>

namespace gk::cli {

void ExitWatchdog::arm(int exitCode, std::chrono::seconds grace)
{
    std::thread([exitCode, grace] {
        std::this_thread::sleep_for(grace);
        std::fflush(nullptr);
        std::_Exit(exitCode);
    }).detach();
}

} // namespace gk::cli
