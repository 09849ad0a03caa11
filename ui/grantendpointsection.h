// "2. Token endpoint" of the grant dialog: the region or custom token URL, the token API version and how the
// client authenticates; shows where requests will go.
#pragma once

#include "core/token/environment.h"
#include "ui/formsection.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace gk {

class FieldMessages;
struct Grant;

class GrantEndpointSection : public FormSection
{
    Q_OBJECT

public:
    GrantEndpointSection(FieldMessages& messages, QWidget* parent);

    void load(const Grant& grant);
    void applyTo(Grant& grant) const;
    QList<QWidget*> tabOrder() const;

    QLineEdit* customUrlEdit() const { return m_customUrlEdit; }
    QComboBox* apiVersionCombo() const { return m_apiVersionCombo; }
    QLabel* deprecatedVersionWarning() const { return m_deprecatedVersionWarning; }
    QLabel* tokenUrlWarning() const { return m_tokenUrlWarning; }

signals:
    // The region or the API version was changed.
    void changed();

private:
    void addRegionRows(FieldMessages& messages);
    void addVersionRow(FieldMessages& messages);
    void addAuthMethodRow();
    // Enables the URL field for Custom and shows the URL a request would go to.
    void updateRows();
    Region selectedRegion() const;
    ApiVersion selectedApiVersion() const;

    QComboBox* m_regionCombo = nullptr;
    QLineEdit* m_customUrlEdit = nullptr;
    QLabel* m_tokenUrlLabel = nullptr;
    QComboBox* m_apiVersionCombo = nullptr;
    QLabel* m_deprecatedVersionWarning = nullptr;
    QLabel* m_tokenUrlWarning = nullptr;
    QComboBox* m_authMethodCombo = nullptr;
};

} // namespace gk
