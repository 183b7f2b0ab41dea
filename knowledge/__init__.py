"""What the bot knows: statutes, repealed-law successors, company policies, imported documents,
the search index and citation checks."""
