"""Who calls: signed tokens in two trust domains, players (minted by the brand's login server)
and operators (marketers, staff, admins and brand systems, minted by the console's issuer),
each with its own key ring."""
