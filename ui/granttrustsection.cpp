#include "ui/granttrustsection.h"

#include "core/grant/grant.h"
#include "core/token/certificateinfo.h"
#include "ui/comboboxvalue.h"
#include "ui/fieldmessages.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace gk {

GrantTrustSection::GrantTrustSection(FieldMessages& messages, QWidget* parent)
    : FormSection(tr("5. Server certificate"),
                  tr("Keep the system CAs unless your policy keeps a local copy of Workiva's certificate; Workiva "
                     "emails about 30 days before it changes."),
                  parent)
{
    addModeRow();
    addCaFileRow(messages);
    addPinnedRow(messages);

    connect(m_modeCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateRows();
        emit changed();
    });
    connect(m_browseCaFileButton, &QPushButton::clicked, this, &GrantTrustSection::browseForCaFile);
    updateRows();
}

void GrantTrustSection::addModeRow()
{
    m_modeCombo = new QComboBox(body());
    m_modeCombo->setObjectName(QStringLiteral("trustModeCombo"));
    m_modeCombo->setAccessibleName(tr("Server certificate trust"));
    m_modeCombo->addItem(tr("System CAs (default)"), static_cast<int>(TrustMode::System));
    m_modeCombo->addItem(tr("System CAs plus a CA file"), static_cast<int>(TrustMode::SystemPlusCaFile));
    m_modeCombo->addItem(tr("Pinned certificate"), static_cast<int>(TrustMode::Pinned));
    addRow(tr("Server certific&ate:"), m_modeCombo, m_modeCombo);
}

void GrantTrustSection::addCaFileRow(FieldMessages& messages)
{
    auto* row = new QWidget(body());
    auto* rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    m_caFileEdit = new QLineEdit(row);
    m_caFileEdit->setObjectName(QStringLiteral("caFileEdit"));
    m_caFileEdit->setAccessibleName(tr("CA file"));
    m_caFileEdit->setPlaceholderText(tr("A PEM file with one or more CA certificates"));
    m_browseCaFileButton = new QPushButton(tr("&Browse…"), row);
    m_browseCaFileButton->setObjectName(QStringLiteral("browseCaFileButton"));
    m_browseCaFileButton->setAccessibleName(tr("Choose the CA file"));
    rowLayout->addWidget(m_caFileEdit, 1);
    rowLayout->addWidget(m_browseCaFileButton);
    QLabel* error = messages.addFieldError(m_caFileEdit, QStringLiteral("caFileError"), body());
    m_caFileCell = stacked({row, error});
    addRow(tr("CA &file:"), m_caFileEdit, m_caFileCell);
}

void GrantTrustSection::addPinnedRow(FieldMessages& messages)
{
    m_pinnedFingerprintEdit = new QLineEdit(body());
    m_pinnedFingerprintEdit->setObjectName(QStringLiteral("pinnedFingerprintEdit"));
    m_pinnedFingerprintEdit->setAccessibleName(tr("Pinned SHA-256 fingerprint"));
    m_pinnedFingerprintEdit->setPlaceholderText(tr("AB:CD:… (64 hexadecimal digits)"));
    QLabel* error = messages.addFieldError(m_pinnedFingerprintEdit, QStringLiteral("pinnedFingerprintError"), body(),
                                           tr("The SHA-256 fingerprint of the server's own certificate; a test shows "
                                              "the one the server presents."));
    m_pinnedCell = stacked({m_pinnedFingerprintEdit, error});
    addRow(tr("Pinned fin&gerprint:"), m_pinnedFingerprintEdit, m_pinnedCell);
}

void GrantTrustSection::browseForCaFile()
{
    const QString current = m_caFileEdit->text().trimmed();
    const QString start = current.isEmpty() ? QDir::homePath() : QFileInfo(current).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose the CA certificate file"), start,
                                                      tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    if (path.isEmpty())
        return;
    m_caFileEdit->setText(QDir::toNativeSeparators(path));
    emit caFileChosen();
    m_caFileEdit->setFocus(Qt::OtherFocusReason);
}

void GrantTrustSection::load(const Grant& grant)
{
    selectComboValue(m_modeCombo, grant.trust.mode);
    m_caFileEdit->setText(grant.trust.caFilePath);
    if (!grant.trust.pinnedSha256.isEmpty()) {
        m_pinnedFingerprintEdit->setText(CertificateInfo::formatFingerprint(grant.trust.pinnedSha256));
        m_pinnedFingerprintEdit->setCursorPosition(0); // the start is what people compare first
    }
    updateRows();
}

void GrantTrustSection::applyTo(Grant& grant) const
{
    TrustSettings trust;
    trust.mode = selectedMode();
    if (trust.mode == TrustMode::SystemPlusCaFile)
        trust.caFilePath = m_caFileEdit->text().trimmed();
    if (trust.mode == TrustMode::Pinned) {
        trust.pinnedSha256 = CertificateInfo::normaliseFingerprint(m_pinnedFingerprintEdit->text());
        // The stored certificate only describes the fingerprint it came with.
        if (trust.pinnedSha256 == grant.trust.pinnedSha256)
            trust.pinnedCertificatePem = grant.trust.pinnedCertificatePem;
    }
    grant.trust = trust;
}

QList<QWidget*> GrantTrustSection::tabOrder() const
{
    return {m_modeCombo, m_caFileEdit, m_browseCaFileButton, m_pinnedFingerprintEdit};
}

void GrantTrustSection::updateRows()
{
    const TrustMode mode = selectedMode();
    form()->setRowVisible(m_caFileCell, mode == TrustMode::SystemPlusCaFile);
    form()->setRowVisible(m_pinnedCell, mode == TrustMode::Pinned);
}

TrustMode GrantTrustSection::selectedMode() const
{
    return comboValue<TrustMode>(m_modeCombo);
}

} // namespace gk
