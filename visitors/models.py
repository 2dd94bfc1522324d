# The models of this part of the domain arrive with its issue.
