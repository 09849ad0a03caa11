// `grantkeeper rotate NAME`: a regenerated secret from standard input, stored only once a live fetch proves it.
#pragma once

#include "cli/command.h"
#include "core/grant/secretrotation.h"

namespace gk::cli {

class RotateCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("rotate"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
    bool waitsForAPerson() const override { return true; }

protected:
    // Before the new secret is stored: the old one stays (a replacement under way is never interrupted).
    void cancel() override;

private:
    void report(const RotationOutcome& outcome);

    SecretRotation* m_rotation = nullptr;
};

} // namespace gk::cli
