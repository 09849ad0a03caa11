// `grantkeeper add ...`: a new grant; its Client ID and Secret come from standard input or a no-echo prompt.
#pragma once

#include "cli/command.h"

namespace gk::cli {

class AddCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("add"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
    bool waitsForAPerson() const override { return true; }

private:
    std::optional<Grant> grantFromOptions(const QCommandLineParser& parser);
};

} // namespace gk::cli
