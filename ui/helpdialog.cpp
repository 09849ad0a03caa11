#include "ui/helpdialog.h"

#include "core/verdict/testverdict.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace gk {

HelpDialog::HelpDialog(const QList<QAction*>& actions, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("helpDialog"));
    setWindowTitle(tr("Grant Keeper Help"));
    auto* browser = new QTextBrowser(this);
    browser->setObjectName(QStringLiteral("helpText"));
    browser->setAccessibleName(tr("Help text"));
    browser->setOpenLinks(false); // nothing here leaves the app
    browser->setHtml(html(actions));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    resize(70 * fontMetrics().averageCharWidth(), 40 * fontMetrics().lineSpacing());
}

QString HelpDialog::html(const QList<QAction*>& actions)
{
    return tr("<h3>Getting a grant from Workiva</h3>"
              "<p>Create the grant in Workiva under <b>Organization Admin → Security → Provisioning → API Grant</b> "
              "(classic admin: <b>Admin → Account Admin → People → OAuth2 Grants</b>). Workiva shows the Client ID "
              "and Client Secret once: add the grant here (Ctrl+N) and paste them. Grant Keeper keeps them only in "
              "your system keychain and fetches a token to prove they work.</p>"
              "<h3>Keyboard shortcuts</h3><table cellpadding=\"3\">%1</table>"
              "<h3>What a test tells you</h3><table cellpadding=\"3\">%2</table>"
              "<h3>More</h3><p>The command line does the same without the window: run <tt>grantkeeper --help</tt>. "
              "The README that comes with Grant Keeper describes every command, the exit codes and the security "
              "rules (secrets and tokens never touch the disk).</p>")
        .arg(shortcutRows(actions), verdictRows());
}

QString HelpDialog::shortcutRows(const QList<QAction*>& actions)
{
    QString rows;
    for (const QAction* action : actions) {
        if (action->shortcut().isEmpty())
            continue;
        QString text = action->text();
        text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
        rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                         text.remove(QChar(0x2026)).toHtmlEscaped());
    }
    return rows;
}

QString HelpDialog::verdictRows()
{
    QString rows;
    for (const Verdict kind :
         {Verdict::Passed, Verdict::ScopeMissing, Verdict::Refused, Verdict::Unreachable, Verdict::NotTested}) {
        rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(TestVerdict::label(kind).toHtmlEscaped(), TestVerdict::explanation(kind).toHtmlEscaped());
    }
    return rows;
}

} // namespace gk
