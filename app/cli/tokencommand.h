// `grantkeeper token NAME`: prints only a fresh access token, for `$(grantkeeper token NAME)`.
#pragma once

#include "cli/command.h"

namespace gk {
class BatchTester;
} // namespace gk

namespace gk::cli {

class TokenCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("token"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;

protected:
    void cancel() override;

private:
    BatchTester* m_tester = nullptr;
};

} // namespace gk::cli
