#include "cli/exitwatchdog.h"

#include "cli/exitcode.h"

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace gk::cli {

namespace {

using Clock = std::chrono::steady_clock;

enum class Limit { None, Command, Exit };

// Leaked on purpose: the watching thread uses them until the process ends, after every static destructor.
struct State
{
    std::mutex mutex;
    std::condition_variable changed;
    Limit limit = Limit::None;
    Clock::time_point deadline;
    int exitCode = ExitOk;
    std::chrono::seconds commandLimit{0};
};

State& state()
{
    static State* const instance = [] {
        auto* created = new State;
        std::thread([created] {
            std::unique_lock lock(created->mutex);
            for (;;) {
                if (created->limit == Limit::None) {
                    created->changed.wait(lock);
                    continue;
                }
                if (created->changed.wait_until(lock, created->deadline) == std::cv_status::no_timeout ||
                    Clock::now() < created->deadline)
                    continue; // a new limit, or woken early: look again
                if (created->limit == Limit::Command) {
                    // One line, as every error: what happened and why it is not the grant's fault.
                    const std::string line =
                        "grantkeeper: gave up after " + std::to_string(created->commandLimit.count()) +
                        " s: the command did not finish within its time limit (a keychain or network call that "
                        "never ended); nothing was recorded for the grants still waiting.\n";
                    std::fputs(line.c_str(), stderr);
                }
                std::fflush(nullptr);
                std::_Exit(created->limit == Limit::Command ? int(ExitNetwork) : created->exitCode);
            }
        }).detach();
        return created;
    }();
    return *instance;
}

void set(Limit limit, Clock::duration after, int exitCode, std::chrono::seconds commandLimit)
{
    State& watched = state();
    {
        const std::lock_guard lock(watched.mutex);
        if (watched.limit == Limit::Exit)
            return; // the answer is out: only ending is left to bound, from the first time it was armed
        watched.limit = limit;
        watched.deadline = Clock::now() + after;
        watched.exitCode = exitCode;
        watched.commandLimit = commandLimit;
    }
    watched.changed.notify_all();
}

} // namespace

void ExitWatchdog::arm(int exitCode, std::chrono::seconds grace)
{
    set(Limit::Exit, grace, exitCode, {});
}

void ExitWatchdog::limitCommand(std::chrono::seconds limit)
{
    set(Limit::Command, limit + Grace, ExitNetwork, limit + Grace);
}

void ExitWatchdog::unlimitCommand()
{
    set(Limit::None, {}, ExitOk, {});
}

} // namespace gk::cli
