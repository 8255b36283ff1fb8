# Campaigns, applications and deliverables arrive with the campaigns issue (PRODUCT §4–§5).
