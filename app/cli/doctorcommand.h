// `grantkeeper doctor [--fix]`: checks that grants.json and the keychain agree. Finds keychain entries no grant
// points at (left over by an add that was killed, or a removal whose entry could not be deleted) and grants whose
// entry is missing; --fix removes the left-over entries, asking first on a terminal.
#pragma once

#include "cli/command.h"

#include <QStringList>

namespace gk::cli {

class DoctorCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("doctor"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;

private:
    void report(const QStringList& keys);
    // Removes the left-over entries one after the other, then finishes.
    void removeNext();

    bool m_fix = false;
    int m_missing = 0;
    QStringList m_leftOver;
    int m_removed = 0;
    bool m_removeFailed = false;
};

} // namespace gk::cli
