package demo

// company is one client or prospect of the demo MSP.
type company struct {
	name      string
	industry  string
	domain    string
	employees int
	// code is the short prefix of the company's device hostnames.
	code string
}

// companies are the 40 accounts of the demo book, in the order they are
// assigned lifecycle stages.
var companies = []company{
	{"Acme Family Healthcare", "Healthcare", "acmefamilyhealth.com", 65, "ACME"},
	{"BluePeak Legal Group", "Legal", "bluepeaklegal.com", 42, "BPL"},
	{"Cedar Ridge Dental", "Dental", "cedarridgedental.com", 18, "CRD"},
	{"Harborview Financial Advisors", "Financial Services", "harborviewfa.com", 34, "HFA"},
	{"Keystone CPA Partners", "Accounting", "keystonecpa.com", 27, "KCP"},
	{"Ironclad Precision Machining", "Manufacturing", "ironcladprecision.com", 140, "IPM"},
	{"Hope Springs Community Services", "Nonprofit", "hopesprings.org", 55, "HSC"},
	{"Summit Peak Builders", "Construction", "summitpeakbuilders.com", 88, "SPB"},
	{"Riverside Pediatrics", "Healthcare", "riversidepeds.com", 31, "RVP"},
	{"Whitman & Hale LLP", "Legal", "whitmanhale.com", 63, "WHL"},
	{"Brightsmile Orthodontics", "Dental", "brightsmileortho.com", 22, "BSO"},
	{"Granite State Credit Union", "Financial Services", "granitestatecu.org", 120, "GSCU"},
	{"Meridian Tax & Advisory", "Accounting", "meridiantax.com", 16, "MTA"},
	{"Northstar Plastics", "Manufacturing", "northstarplastics.com", 210, "NSP"},
	{"Lakeshore Food Bank", "Nonprofit", "lakeshorefoodbank.org", 38, "LFB"},
	{"Copperline Electrical Contractors", "Construction", "copperline-electric.com", 64, "CEC"},
	{"Valley Orthopedic Associates", "Healthcare", "valleyortho.com", 96, "VOA"},
	{"Sterling Immigration Law", "Legal", "sterlingimmigration.com", 14, "SIL"},
	{"Parkside Family Dentistry", "Dental", "parksidedentistry.com", 12, "PFD"},
	{"Oakmont Wealth Management", "Financial Services", "oakmontwealth.com", 26, "OWM"},
	{"Ledgerline Bookkeeping", "Accounting", "ledgerline.com", 9, "LLB"},
	{"Atlas Fabrication Works", "Manufacturing", "atlasfab.com", 175, "AFW"},
	{"Bright Futures Youth Alliance", "Nonprofit", "brightfuturesyouth.org", 47, "BFY"},
	{"Redwood Commercial Construction", "Construction", "redwoodcc.com", 132, "RCC"},
	{"Clearwater Imaging Center", "Healthcare", "clearwaterimaging.com", 44, "CIC"},
	{"Marlow Estate Planning", "Legal", "marlowestate.com", 11, "MEP"},
	{"Seaside Endodontics", "Dental", "seasideendo.com", 15, "SSE"},
	{"Pinnacle Insurance Brokers", "Financial Services", "pinnacleib.com", 58, "PIB"},
	{"Fairway Accounting Group", "Accounting", "fairwayacct.com", 36, "FAG"},
	{"Evergreen Packaging Co.", "Manufacturing", "evergreenpkg.com", 95, "EPC"},
	{"Greenway Land Trust", "Nonprofit", "greenwaylandtrust.org", 13, "GLT"},
	{"Bayside Renovations", "Construction", "baysiderenovations.com", 29, "BSR"},
	{"Hillcrest Physical Therapy", "Healthcare", "hillcrestpt.com", 24, "HPT"},
	{"Foster & Quinn Attorneys", "Legal", "fosterquinn.com", 37, "FQA"},
	{"Lumen Architecture Studio", "Architecture", "lumenarch.com", 21, "LAS"},
	{"Crossroads Property Management", "Real Estate", "crossroadspm.com", 52, "CPM"},
	{"Westbrook Charter Academy", "Education", "westbrookcharter.org", 110, "WCA"},
	{"TrueNorth Logistics", "Logistics", "truenorthlogistics.com", 76, "TNL"},
	{"Silverline Veterinary Hospital", "Veterinary", "silverlinevet.com", 33, "SVH"},
	{"Maple & Main Realty", "Real Estate", "maplemainrealty.com", 19, "MMR"},
}

// person is a first and last name.
type person struct{ first, last string }

// people are the names drawn for contacts, in order.
var people = []person{
	{"Sarah", "Chen"}, {"Marcus", "Reyes"}, {"Priya", "Patel"}, {"David", "Okafor"}, {"Emily", "Larsen"},
	{"James", "Whitaker"}, {"Aisha", "Bello"}, {"Tom", "Kowalski"}, {"Linda", "Nguyen"}, {"Robert", "Haines"},
	{"Grace", "Donnelly"}, {"Carlos", "Mendoza"}, {"Hannah", "Brooks"}, {"Victor", "Albrecht"}, {"Megan", "O'Neill"},
	{"Daniel", "Kim"}, {"Olivia", "Foster"}, {"Samuel", "Adeyemi"}, {"Rachel", "Goldberg"}, {"Kevin", "Tran"},
	{"Natalie", "Russo"}, {"Brian", "McCarthy"}, {"Fatima", "Haddad"}, {"Greg", "Sorensen"}, {"Julia", "Morales"},
	{"Ethan", "Park"}, {"Monica", "Singh"}, {"Paul", "Ferreira"}, {"Laura", "Bianchi"}, {"Andre", "Dubois"},
	{"Karen", "Walsh"}, {"Steven", "Yamamoto"}, {"Rebecca", "Lindqvist"}, {"Omar", "Farouk"}, {"Diane", "Castillo"},
	{"Jason", "Whitfield"}, {"Nina", "Petrova"}, {"Mark", "Thompson"}, {"Alicia", "Romero"}, {"Chris", "Novak"},
}

// contactRoles are the roles a contact can hold at a client.
var contactRoles = []string{
	"Owner", "Office Manager", "Practice Administrator", "CFO", "IT Coordinator",
	"Managing Partner", "Operations Director", "Controller", "Executive Director", "Facilities Manager",
}

// staff are the demo MSP's own users: name, role.
var staff = []struct {
	name string
	role string
}{
	{"Alex Morgan", "ADMIN"},
	{"Jordan Blake", "ACCOUNT_MANAGER"},
	{"Casey Rivera", "ACCOUNT_MANAGER"},
	{"Morgan Ellis", "ACCOUNT_MANAGER"},
	{"Taylor Brooks", "SALES_REP"},
	{"Riley Chen", "SALES_REP"},
	{"Jamie Patel", "SERVICE_MANAGER"},
	{"Drew Santos", "TECHNICIAN"},
	{"Sam Whitfield", "TECHNICIAN"},
	{"Avery Nguyen", "TECHNICIAN"},
}

// Device models by kind: operating system, whether it is end of life.
var (
	workstationSystems = []struct {
		os  string
		eol bool
	}{
		{"Windows 11 Pro 23H2", false}, {"Windows 11 Pro 24H2", false}, {"Windows 11 Enterprise 23H2", false},
		{"macOS Sonoma 14.6", false}, {"Windows 10 Pro 22H2", true}, {"Windows 10 Pro 21H2", true},
	}
	serverSystems = []struct {
		os  string
		eol bool
	}{
		{"Windows Server 2022 Standard", false}, {"Windows Server 2019 Standard", false},
		{"Ubuntu 22.04 LTS", false}, {"Windows Server 2012 R2", true}, {"VMware ESXi 8.0", false},
	}
	networkDevices = []struct {
		kind, os, code string
	}{
		{"Firewall", "FortiOS 7.4.3", "FW"}, {"Firewall", "SonicOS 7.1", "FW"}, {"Firewall", "Meraki MX 18.211", "FW"},
		{"Switch", "Aruba CX 10.13", "SW"}, {"NAS", "Synology DSM 7.2", "NAS"},
	}
)

// serviceCatalog is the demo MSP's price list: service name, category,
// monthly unit price in cents, and whether it is sold per seat.
var serviceCatalog = []struct {
	name     string
	category string
	price    int64
	perSeat  bool
}{
	{"Managed IT — per user", "MANAGED_SERVICES", 14500, true},
	{"Managed endpoint — per device", "MANAGED_SERVICES", 6500, true},
	{"Server management", "MANAGED_SERVICES", 22500, false},
	{"EDR and 24x7 SOC", "SECURITY", 1200, true},
	{"Security awareness training", "SECURITY", 450, true},
	{"Email security and archiving", "SECURITY", 350, true},
	{"Backup and disaster recovery appliance", "BACKUP_DR", 49900, false},
	{"Microsoft 365 backup", "BACKUP_DR", 300, true},
	{"Microsoft 365 Business Premium", "LICENSING", 2200, true},
	{"Azure hosting", "CLOUD", 85000, false},
	{"Hosted VoIP seats", "VOIP", 2500, true},
	{"SD-WAN and managed internet", "CONNECTIVITY", 39900, false},
	{"Firewall as a service", "HARDWARE_AS_A_SERVICE", 12900, false},
	{"Workstation as a service", "HARDWARE_AS_A_SERVICE", 5500, true},
	{"vCIO strategy retainer", "PROFESSIONAL_SERVICES", 75000, false},
	{"Compliance documentation", "OTHER", 25000, false},
}

// dealNames are name templates of deals; %s is the company name.
var dealNames = []string{
	"%s — Managed IT agreement",
	"%s — Security stack upgrade",
	"%s — Microsoft 365 migration",
	"%s — Backup and DR refresh",
	"%s — VoIP rollout",
	"%s — Contract renewal",
	"%s — Workstation refresh",
	"%s — Compliance readiness",
}

// taskTitles are the demo team's to-dos.
var taskTitles = []string{
	"Schedule quarterly business review",
	"Send renewal proposal",
	"Replace end-of-life firewall",
	"Follow up on unpaid invoice",
	"Complete onboarding checklist",
	"Review backup failure alerts",
	"Prepare HIPAA risk assessment",
	"Migrate file server to SharePoint",
	"Call about churn-risk score",
	"Order replacement workstations",
	"Update network documentation",
	"Run phishing simulation",
}

// noteBodies are free-text notes.
var noteBodies = []string{
	"Office manager mentioned they are opening a second location next spring.",
	"CFO is price sensitive; lead with the backup savings in the proposal.",
	"Met the new practice administrator. Wants a monthly check-in call.",
	"Two P1 tickets last week about the line-of-business app; vendor is slow to respond.",
	"They are evaluating a competitor for security services. Schedule a vCIO session.",
	"Asked for a quote on replacing the remaining Windows 10 machines.",
	"Very happy with the onboarding; good reference candidate.",
	"Contract renewal is coming up; they want three-year pricing.",
	"Legal review requested changes to the liability clause.",
	"Champion left the company; need a new relationship at the executive level.",
}

// touchpointSubjects are subjects of logged interactions.
var touchpointSubjects = []string{
	"Quarterly business review", "Renewal terms", "Ticket escalation follow-up", "Onboarding kickoff",
	"Security roadmap", "Invoice question", "New hire setup", "Budget planning for next year",
	"Backup test results", "Site visit — network closet",
}

// leadCompanies are unqualified prospects: company, industry, employees, IT
// staff.
var leadCompanies = []struct {
	name      string
	industry  string
	employees int
	itStaff   int
}{
	{"Pinecrest Medical Billing", "Healthcare", 40, 0},
	{"Orchard Law Offices", "Legal", 22, 0},
	{"Solstice Dental Studio", "Dental", 14, 0},
	{"Beacon Hill Investments", "Financial Services", 60, 1},
	{"Tallgrass Accounting", "Accounting", 18, 0},
	{"Forge Point Manufacturing", "Manufacturing", 230, 2},
	{"Open Arms Shelter Network", "Nonprofit", 35, 0},
	{"Keel & Rudder Marine Supply", "Retail", 45, 1},
	{"Highline Builders", "Construction", 70, 0},
	{"Quarry Street Vision Care", "Healthcare", 26, 0},
	{"Aspen Grove Senior Living", "Healthcare", 310, 3},
	{"Sandstone Title & Escrow", "Real Estate", 28, 0},
	{"Ridgeback Robotics", "Manufacturing", 150, 4},
	{"Coastal Credit Advisors", "Financial Services", 12, 0},
	{"Willow Creek Montessori", "Education", 48, 0},
	{"Ember Creative Agency", "Marketing", 25, 1},
	{"Granite Peak Orthodontics", "Dental", 20, 0},
	{"Stonebridge Wealth Partners", "Financial Services", 33, 0},
	{"Harvest Table Restaurants", "Hospitality", 400, 2},
	{"Northgate Chiropractic", "Healthcare", 9, 0},
}

// complianceControls are the items demo accounts track, by framework.
var complianceControls = map[string][]string{
	"HIPAA":     {"Annual security risk assessment", "Business associate agreements on file", "Workforce HIPAA training", "Audit log review", "Encryption of ePHI at rest"},
	"PCI_DSS":   {"Quarterly external vulnerability scan", "Firewall rule review", "Cardholder data flow diagram"},
	"SOC2":      {"Access review", "Vendor risk assessments", "Incident response tabletop exercise", "Change management evidence"},
	"CMMC":      {"System security plan", "Multi-factor authentication for CUI systems", "Plan of action and milestones"},
	"NIST_CSF":  {"Asset inventory", "Backup restore test", "Security awareness program"},
	"ISO_27001": {"Information security policy review", "Statement of applicability"},
	"GDPR":      {"Records of processing activities", "Data subject request procedure"},
	"CUSTOM":    {"Cyber insurance questionnaire", "Board IT risk report"},
}

// frameworksByIndustry are the compliance frameworks an industry is held to.
var frameworksByIndustry = map[string][]string{
	"Healthcare":         {"HIPAA"},
	"Dental":             {"HIPAA"},
	"Veterinary":         {"PCI_DSS"},
	"Financial Services": {"SOC2", "PCI_DSS"},
	"Accounting":         {"SOC2"},
	"Manufacturing":      {"CMMC", "NIST_CSF"},
	"Legal":              {"ISO_27001"},
	"Nonprofit":          {"GDPR"},
	"Construction":       {"CUSTOM"},
	"Education":          {"NIST_CSF"},
}
