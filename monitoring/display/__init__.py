"""The display checker for websites (domain.md §13): fetch each live filed site's home page
through core.egress, judge its footer with icp.display, keep the evidence (DisplayCheck)."""
