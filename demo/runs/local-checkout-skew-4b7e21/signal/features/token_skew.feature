@REQ-001
Feature: Clock skew tolerance for session tokens

  Scenario: Recently expired token within the skew is accepted
    Given a token that expired 120 seconds ago
    When checkout verifies it
    Then the token is accepted

  @REQ-002
  Scenario Outline: Tokens outside the skew are rejected
    Given a token <offset> seconds outside its validity window
    When checkout verifies it
    Then it is rejected as <status>

    Examples:
      | offset | status              |
      | 600    | TOKEN_EXPIRED       |
      | -600   | TOKEN_NOT_YET_VALID |
