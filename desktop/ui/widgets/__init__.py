"""Small reusable widgets shared by the intake form and the case view."""
