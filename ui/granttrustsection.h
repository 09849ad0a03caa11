// "5. Server certificate" of the grant dialog: how the token server's certificate is trusted (system CAs, plus a CA
// file, or a pinned fingerprint).
#pragma once

#include "core/token/trustsettings.h"
#include "ui/formsection.h"

class QComboBox;
class QLineEdit;
class QPushButton;

namespace gk {

class FieldMessages;
struct Grant;

class GrantTrustSection : public FormSection
{
    Q_OBJECT

public:
    GrantTrustSection(FieldMessages& messages, QWidget* parent);

    void load(const Grant& grant);
    // grant: the stored grant the section's values replace; its pinned certificate is kept while the pin is.
    void applyTo(Grant& grant) const;
    QList<QWidget*> tabOrder() const;

    QLineEdit* caFileEdit() const { return m_caFileEdit; }
    QLineEdit* pinnedFingerprintEdit() const { return m_pinnedFingerprintEdit; }

signals:
    // The trust mode was changed.
    void changed();
    // A CA file was picked with Browse…: the field is complete, as if the user had typed it and moved on.
    void caFileChosen();

private:
    void addModeRow();
    void addCaFileRow(FieldMessages& messages);
    void addPinnedRow(FieldMessages& messages);
    void browseForCaFile();
    // Shows the rows the selected mode uses.
    void updateRows();
    TrustMode selectedMode() const;

    QComboBox* m_modeCombo = nullptr;
    QWidget* m_caFileCell = nullptr;
    QLineEdit* m_caFileEdit = nullptr;
    QPushButton* m_browseCaFileButton = nullptr;
    QWidget* m_pinnedCell = nullptr;
    QLineEdit* m_pinnedFingerprintEdit = nullptr;
};

} // namespace gk
